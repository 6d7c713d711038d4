"""OFAC legacy CSV files: SDN and non-SDN consolidated lists."""
