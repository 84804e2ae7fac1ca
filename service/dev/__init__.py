"""Development tools: the brokers as child processes (Tansu, Apache Kafka) and the benchmark."""
