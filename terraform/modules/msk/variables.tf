variable "name" {
  description = "Cluster name, e.g. clinic-dev."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Three data subnets, one per zone."
  type        = list(string)
}

variable "client_security_group_id" {
  description = "Security group of the clients (the EKS cluster's)."
  type        = string
}

variable "kafka_version" {
  description = "Apache Kafka version on MSK."
  type        = string
  default     = "3.9.x"
}

variable "broker_instance_type" {
  description = "Broker instance type."
  type        = string
  default     = "kafka.m7g.large"
}

variable "broker_volume_gb" {
  description = "EBS storage per broker, GiB."
  type        = number
  default     = 100
}

variable "kms_key_arn" {
  description = "KMS key for data at rest and the broker log group."
  type        = string
}

variable "topics_file" {
  description = "Path of topics.json, generated from the services' topic manifest."
  type        = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps broker logs."
  type        = number
  default     = 90
}
