"""Award history: the titles and awards each unit and person received, by year."""
