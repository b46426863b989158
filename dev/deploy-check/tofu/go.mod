// OpenTofu's own go.mod has a replace directive, so `go install ...@version` refuses it; this module
// requires it and repeats that directive, and install-tools.sh builds cmd/tofu from here.
module clinic.example/deploy-check/tofu

go 1.24.9

require github.com/opentofu/opentofu v1.10.7

replace github.com/hashicorp/hcl/v2 v2.20.1 => github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828
