"""FollowTheMoney / OpenSanctions datasets (entities JSON and simple CSV)."""
