"""The register of recognised initiatives (sáng kiến)."""
