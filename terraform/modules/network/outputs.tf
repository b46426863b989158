output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "The VPC's range."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (EKS nodes and pods)."
  value       = aws_subnet.private[*].id
}

output "data_subnet_ids" {
  description = "Isolated subnets for the service databases and MSK."
  value       = aws_subnet.data[*].id
}

output "vault_subnet_ids" {
  description = "Isolated subnets for the PII vault database only."
  value       = aws_subnet.vault[*].id
}

output "public_subnets_cidr" {
  description = "One range covering the public subnets: k8s overlay common/network.yaml publicSubnets."
  value       = cidrsubnet(var.cidr, 6, 24)
}

output "data_subnets_cidr" {
  description = "One range covering the data subnets: k8s overlay common/network.yaml dataSubnets."
  value       = cidrsubnet(var.cidr, 6, 25)
}

output "vault_subnets_cidr" {
  description = "One range covering the vault subnets: k8s overlay common/network.yaml vaultSubnets."
  value       = cidrsubnet(var.cidr, 10, 416)
}

output "data_subnet_cidrs" {
  description = "Each data subnet's range."
  value       = aws_subnet.data[*].cidr_block
}

output "private_subnet_cidrs" {
  description = "Each private subnet's range."
  value       = aws_subnet.private[*].cidr_block
}
