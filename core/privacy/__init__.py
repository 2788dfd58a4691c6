"""Personal data across the instance: the register of processing activities and purges."""

from .service import ProcessingActivity

__all__ = ["ProcessingActivity"]
