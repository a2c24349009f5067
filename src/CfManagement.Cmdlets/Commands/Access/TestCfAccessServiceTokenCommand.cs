using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using CfManagement.Access;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Access
{
    /// <summary>
    /// <para type="synopsis">Calls an Access-protected URL with a service token and says what Access made of it: Authenticated, NotAuthenticated (401), NotAuthorized (403), NotProtected or Unreachable, with the evidence and the next step.</para>
    /// </summary>
    /// <remarks>
    /// It talks to the URL, not to Cloudflare's API, so it needs no session. The secret goes to that URL only: https
    /// unless -AllowInsecure, no redirect followed, no cookie sent; a 2xx without Access's cookie is checked with one
    /// control request that carries no token at all.
    /// </remarks>
    [Cmdlet(VerbsDiagnostic.Test, "CfAccessServiceToken", DefaultParameterSetName = SecretSet)]
    [OutputType(typeof(CfAccessServiceTokenTestResult), typeof(bool))]
    public sealed class TestCfAccessServiceTokenCommand : CfCmdlet
    {
        private const string SecretSet = "Secret";
        private const string VaultSet = "Vault";
        private const int MaxTimeoutSec = 600;

        /// <summary>The protected URL to call (https; http only with -AllowInsecure).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Url")]
        [AllowEmptyString] // refused by our own check (InvalidUri, with the fix), not by the binder
        public string Uri { get; set; } = "";

        /// <summary>The service token's client id (sent as CF-Access-Client-Id). Binds from the pipeline by property name.</summary>
        [Parameter(ParameterSetName = SecretSet, ValueFromPipelineByPropertyName = true)]
        public string? ClientId { get; set; }

        /// <summary>The client secret (sent as CF-Access-Client-Secret), a SecureString; a plain string from the pipeline is turned into one.</summary>
        [Parameter(ParameterSetName = SecretSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Value")] // a managed Access token (New-CfManagedToken -AccessServiceToken) returns its secret in Value
        [SecureStringTransformation]
        public SecureString? ClientSecret { get; set; }

        /// <summary>The SecretManagement vault holding the token (the secret under -SecretName, its client id in metadata or NAME__CLIENT_ID).</summary>
        [Parameter(ParameterSetName = VaultSet, ValueFromPipelineByPropertyName = true)]
        [Alias("VaultName")]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        /// <summary>The vault secret holding the client secret; Get-SecretInfo output binds by its Name and VaultName.</summary>
        [Parameter(ParameterSetName = VaultSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(VaultSecretNameCompleter))]
        public string? SecretName { get; set; }

        /// <summary>Allows a plain http:// URL (the secret then crosses the network unencrypted): for a loopback test origin only.</summary>
        [Parameter]
        public SwitchParameter AllowInsecure { get; set; }

        /// <summary>Seconds to wait for each answer (default 10, at most 600); no answer in time is Unreachable.</summary>
        [Parameter]
        public int TimeoutSec { get; set; } = 10;

        /// <summary>Returns only $true (Authenticated) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        private Uri? _uri;
        private bool _checkedCommon;
        private bool _commonValid;

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (!_checkedCommon)
            {
                // The same -Uri and -TimeoutSec serve every piped token: checked (and reported) once.
                _checkedCommon = true;
                _uri = CheckUri(Uri, AllowInsecure, errors);
                if (TimeoutSec <= 0 || TimeoutSec > MaxTimeoutSec)
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidTimeout, nameof(TimeoutSec), TimeoutSec,
                        $"-TimeoutSec {TimeoutSec} is out of range: it is the seconds to wait for an answer, 1 to {MaxTimeoutSec}.", "Pass e.g. -TimeoutSec 10, or omit it."));
                _commonValid = errors.Count == 0;
            }
            // The token's own parameters are checked too, so every mistake is reported at once; the vault is read
            // only when everything else is right.
            CheckTokenParameters(errors);
            if (WriteErrors(errors) || !_commonValid) return;

            var (clientId, secret, owned, source) = ResolveToken();
            if (secret == null) return;
            try
            {
                var uri = _uri!;
                var timeout = TimeSpan.FromSeconds(TimeoutSec);
                var id = clientId!;
                var started = DateTimeOffset.UtcNow;
                var withToken = Await(ct => AccessProbe.SendAsync(uri, id, secret, timeout, ct));
                AccessProbeResponse? withoutToken = null;
                if (AccessVerdict.NeedsControlRequest(withToken))
                {
                    WriteVerbose($"{withToken.StatusCode} with the token and no {AccessVerdict.AccessCookie} cookie: asking again without the token to see whether anything checks it.");
                    withoutToken = Await(ct => AccessProbe.SendAsync(uri, null, null, timeout, ct));
                }
                var verdict = AccessVerdict.Decide(uri, withToken, withoutToken);
                var result = new CfAccessServiceTokenTestResult(AccessProbe.Shown(uri), id, source, verdict.Outcome, withToken.StatusCode,
                    withoutToken?.StatusCode, withToken.Location, withToken.Headers, verdict.Evidence, verdict.Reason, verdict.RecommendedAction,
                    withToken.Elapsed + (withoutToken?.Elapsed ?? TimeSpan.Zero), started);
                WriteVerbose($"{result.Outcome}: {result.Reason}");
                if (Quiet) WriteObject(result.Passed);
                else WriteObject(result);
            }
            finally
            {
                owned?.Dispose();
            }
        }

        /// <summary>What can be checked without reading anything: the parameters naming or carrying the token.</summary>
        private void CheckTokenParameters(List<ErrorRecord> errors)
        {
            if (ParameterSetName == VaultSet)
            {
                if (string.IsNullOrWhiteSpace(Vault))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidName, nameof(Vault), Vault, "-Vault must name a registered SecretManagement vault.", "Pass -Vault <name> (Get-SecretVault lists them) with -SecretName."));
                if (string.IsNullOrWhiteSpace(SecretName))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidSecretName, nameof(SecretName), SecretName, "-SecretName must name the vault secret that holds the client secret.", "Pass -SecretName <name> (Get-SecretInfo -Vault <vault> lists them)."));
                if (errors.Count == 0 && VaultServiceTokenReader.CheckAvailable(this) is ErrorRecord unavailable) errors.Add(unavailable);
                return;
            }
            if (string.IsNullOrWhiteSpace(ClientId))
                errors.Add(InputValidator.Invalid(ErrorIds.MissingClientId, nameof(ClientId), null,
                    "-ClientId is missing: Access needs the service token's client id with the secret (CF-Access-Client-Id).",
                    "Pass -ClientId '<id>.access' with -ClientSecret, pipe an object with ClientId and ClientSecret (New-CfAccessServiceToken's output), or use -Vault/-SecretName."));
            else if (CheckClientId(ClientId!.Trim(), nameof(ClientId)) is ErrorRecord badId) errors.Add(badId);
            if (ClientSecret == null || ClientSecret.Length == 0)
                errors.Add(InputValidator.Invalid(ErrorIds.MissingClientSecret, nameof(ClientSecret), null,
                    "-ClientSecret is missing: Access needs the client secret (CF-Access-Client-Secret).",
                    "Pass -ClientSecret (Read-Host -AsSecureString), pipe New-CfAccessServiceToken's output, or use -Vault/-SecretName."));
            else if (CheckSecretText(ClientSecret, nameof(ClientSecret)) is ErrorRecord badSecretText) errors.Add(badSecretText);
        }

        /// <summary>The checked token: from the parameters (or pipeline) as given, or read from the vault; secret null after writing the error.</summary>
        private (string? ClientId, SecureString? Secret, SecureString? Owned, string Source) ResolveToken()
        {
            var source = MyInvocation.ExpectingInput ? "pipeline" : "parameters";
            if (ParameterSetName != VaultSet) return (ClientId!.Trim(), ClientSecret, null, source);
            try
            {
                var (id, secret, owned) = VaultServiceTokenReader.Read(this, Vault!.Trim(), SecretName!.Trim());
                var bad = CheckClientId(id, nameof(SecretName)) ?? CheckSecretText(secret, nameof(SecretName));
                if (bad != null)
                {
                    owned?.Dispose();
                    WriteError(bad);
                    return (null, null, null, source);
                }
                return (id, secret, owned, $"vault:{Vault!.Trim()}/{SecretName!.Trim()}");
            }
            catch (CfRecordException ex)
            {
                WriteError(ex.ErrorRecord);
                return (null, null, null, source);
            }
        }

        /// <summary>A client id is a header value: printable, no white space inside (Cloudflare's look like &lt;32 hex&gt;.access).</summary>
        private static ErrorRecord? CheckClientId(string id, string parameterName)
        {
            if (id.Length <= 200 && id.Length > 0 && !HasSpaceOrControl(id)) return null;
            return InputValidator.Invalid(ErrorIds.InvalidClientId, parameterName, id.Length > 200 ? id.Substring(0, 40) + "..." : id,
                $"-{parameterName}: '{(id.Length > 40 ? id.Substring(0, 40) + "..." : id)}' cannot be a service token's client id: it must be 1 to 200 printable characters without spaces.",
                "Copy the ClientId of Get-CfAccessServiceToken (it looks like <32 hex characters>.access).");
        }

        /// <summary>A secret with a line break or control character cannot go in a header (and would split it): refused without showing it.</summary>
        private static ErrorRecord? CheckSecretText(SecureString secret, string parameterName)
        {
            var plain = Http.SecureStringReader.ToPlainText(secret);
            if (!HasSpaceOrControl(plain)) return null;
            return InputValidator.Invalid(ErrorIds.InvalidClientSecret, parameterName, null,
                $"-{parameterName}: the client secret contains white space or a control character (a line break?), so it cannot be a service token's secret; its value is not shown.",
                "Pass the secret exactly as Cloudflare issued it (a copy with a trailing newline is the usual cause).");
        }

        private static bool HasSpaceOrControl(string text)
        {
            foreach (var c in text)
                if (char.IsWhiteSpace(c) || char.IsControl(c)) return true;
            return false;
        }

        /// <summary>An absolute https URL (http only with -AllowInsecure), without user information.</summary>
        internal static Uri? CheckUri(string? value, bool allowInsecure, List<ErrorRecord> errors)
        {
            if (string.IsNullOrWhiteSpace(value) || !System.Uri.TryCreate(value!.Trim(), UriKind.Absolute, out var uri) ||
                (uri.Scheme != System.Uri.UriSchemeHttp && uri.Scheme != System.Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidUri, nameof(Uri), value,
                    $"-Uri '{value}' is not an absolute https:// URL without user information.",
                    "Pass the protected URL as a service calls it, e.g. -Uri https://app.example.com/health."));
                return null;
            }
            if (uri.Scheme == System.Uri.UriSchemeHttp && !allowInsecure)
            {
                var message = $"-Uri '{value}' is plain http: the client secret would cross the network unencrypted.";
                errors.Add(new ErrorRecord(new ArgumentException(message, nameof(Uri)), ErrorIds.InsecureUri, ErrorCategory.SecurityError, value)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Use the https:// URL (Access-protected hostnames always have one); add -AllowInsecure only for a test origin on this machine." },
                });
                return null;
            }
            return uri;
        }
    }
}
