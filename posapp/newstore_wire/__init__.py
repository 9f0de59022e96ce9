"""NewStore's gift card shapes as our own typed models (docs/newstore.md), read by our
provider's webhooks, the NewStore adapter and the fake NewStore alike."""
