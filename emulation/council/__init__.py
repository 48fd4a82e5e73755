"""Council review, ranking, freezing, voting and award documents for a round."""
