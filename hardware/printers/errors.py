"""The printer's error, apart from the transports so that a window can name it cheaply."""


class PrinterError(Exception):
    """The printer could not take the job; the message says which printer and why."""
