"""A fake of NewStore's Gift Card API (v0), for tests and `posapp demo --api newstore`."""
