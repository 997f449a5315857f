"""One module per remote service; each turns the service's answers into `Paper`s."""
