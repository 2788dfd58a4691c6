"""Running the instance: health check, Prometheus metrics, the plugin list for admins."""
