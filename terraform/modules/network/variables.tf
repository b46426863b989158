variable "name" {
  description = "Prefix for every resource name, e.g. clinic-dev."
  type        = string
}

variable "cidr" {
  description = "The VPC's IPv4 range, a /16 (dev 10.40.0.0/16, prod 10.50.0.0/16)."
  type        = string
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per zone: cheaper, for dev; prod keeps one per zone."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow-log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps VPC flow logs."
  type        = number
  default     = 90
}
