variable "name" {
  description = "Cluster name, e.g. clinic-dev."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version (1.30 or newer: the Deployments use the preStop sleep action)."
  type        = string
  default     = "1.33"
}

variable "private_subnet_ids" {
  description = "Subnets for the control-plane ENIs and the nodes."
  type        = list(string)
}

variable "public_access_cidrs" {
  description = "Ranges allowed to reach the public API endpoint; empty makes the endpoint private only."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "node_min_size" {
  description = "Fewest nodes (also the starting size)."
  type        = number
  default     = 3
}

variable "node_max_size" {
  description = "Most nodes."
  type        = number
  default     = 6
}

variable "kms_key_arn" {
  description = "KMS key for Kubernetes secrets, node volumes and the control-plane log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps control-plane logs."
  type        = number
  default     = 90
}
