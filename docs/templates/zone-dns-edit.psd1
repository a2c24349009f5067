# A token template for New-CfScopedToken (read with Import-PowerShellDataFile: constants only, no code runs).
# The runbook's CF_DNS_EDIT_GETRAXX_COM: DNS Write + Zone Read on one zone, 90 days, stored in the vault under its name.
# Reuse it for another zone by overriding Name and Zone:
#   New-CfScopedToken -TemplatePath ./docs/templates/zone-dns-edit.psd1 -Name CF_DNS_EDIT_RAXX_IO -Zone raxx.io -Vault Prod
# Keys (case-insensitive; any other key is refused with InvalidTokenTemplate): Name, PermissionGroup (required);
# Zone, AllZones, Ttl or ExpiresOn, AllowedIp, DeniedIp, SecretName, Consumer, Description. See Get-Help New-CfScopedToken.
@{
    Name            = 'CF_DNS_EDIT_GETRAXX_COM'
    PermissionGroup = @('DNS Write', 'Zone Read')
    Zone            = @('getraxx.com')
    Ttl             = '90.00:00:00'
    Consumer        = @('external:Terraform (getraxx.com DNS)')
    Description     = 'DNS record creation and updates for getraxx.com (new subdomains, MX records)'
}
