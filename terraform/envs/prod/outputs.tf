output "clinic" {
  description = "Everything the next steps need: cluster, ECR URL, brokers, database hosts, subnet ranges, IRSA roles, Cognito, deploy role. See modules/clinic/outputs.tf."
  value       = module.clinic
}
