output "cluster_arn" {
  description = "MSK cluster ARN."
  value       = aws_msk_cluster.this.arn
}

output "bootstrap_brokers_iam" {
  description = "Brokers for KAFKA_BROKERS (port 9098, TLS + IAM)."
  value       = aws_msk_cluster.this.bootstrap_brokers_sasl_iam
}

output "topics" {
  description = "The topics from topics.json: name, partitions, retention."
  value       = local.topics
}

output "topic_arns" {
  description = "ARN of each manifest topic, for IAM policies."
  value       = { for topic in local.topics : topic.name => "${local.topic_arn_prefix}${topic.name}" }
}

output "group_arn_prefix" {
  description = "Prefix of consumer-group ARNs on this cluster (append the group id or *)."
  value       = local.group_arn_prefix
}

output "cluster_arn_for_connect" {
  description = "Resource for kafka-cluster:Connect and DescribeCluster."
  value       = aws_msk_cluster.this.arn
}
