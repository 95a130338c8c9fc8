"""Python tooling for the soc2 dbt package."""
