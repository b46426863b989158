variable "name" {
  description = "Instance identifier, e.g. clinic-dev-services or clinic-dev-vault."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the DB subnet group (three zones)."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups that may connect on 5432 (the EKS cluster's)."
  type        = list(string)
}

variable "engine_version" {
  description = "PostgreSQL version."
  type        = string
  default     = "17.6"
}

variable "instance_class" {
  description = "Instance class."
  type        = string
  default     = "db.m7g.large"
}

variable "storage_gb" {
  description = "Initial storage, GiB (autoscaling up to four times this)."
  type        = number
  default     = 50
}

variable "initial_database" {
  description = "Database created with the instance (the others: see docs/deployment.md, step 4)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for storage, snapshots, Performance Insights and the master password secret."
  type        = string
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery)."
  type        = number
  default     = 14
}

variable "deletion_protection" {
  description = "Refuse deletion and keep a final snapshot (prod)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the PostgreSQL logs."
  type        = number
  default     = 90
}
