variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "ap-southeast-2"
}

variable "eks_public_access_cidrs" {
  description = "Ranges that may reach the EKS API endpoint publicly (your office, CI runners); empty keeps it private."
  type        = list(string)
  default     = []
}

variable "ses_sender_domain" {
  description = "Domain notification email is sent from."
  type        = string
  default     = "dev.clinic.example"
}

variable "api_host" {
  description = "The public API host the ingress serves (k8s/overlays/dev); SNS posts SMS replies to it."
  type        = string
  default     = "api.dev.clinic.example"
}

variable "github_repository" {
  description = "owner/name of the GitHub repository allowed to deploy (OIDC trust)."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "Create the GitHub OIDC provider in this account (false when another environment in the same account made it)."
  type        = bool
  default     = true
}
