"""The commune's view: the figures officers report to the district and province."""
