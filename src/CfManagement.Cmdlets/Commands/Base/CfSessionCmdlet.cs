using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Sessions;
using CfManagement.Validation;

namespace CfManagement.Commands.Base
{
    /// <summary>
    /// A cmdlet that talks to Cloudflare through a session: the one given with -Session, else the runspace's
    /// current one, else an implicit one from CLOUDFLARE_API_TOKEN (the variable wrangler and CI use).
    /// Resolved lazily, so input validation always happens before any request.
    /// </summary>
    public abstract class CfSessionCmdlet : CfConnectingCmdlet
    {
        private CfSession? _resolved;

        /// <summary>The session to use instead of the current one (see Connect-CfAccount, Get-CfSession).</summary>
        [Parameter]
        public CfSession? Session { get; set; }

        protected internal CfSession CurrentSession => _resolved ??= ResolveSession();

        /// <summary>False (after writing the error) when account-owned tokens are asked for but the session has no account.</summary>
        protected bool RequireAccount(Model.CfTokenScope scope)
        {
            if (scope != Model.CfTokenScope.Account || !string.IsNullOrEmpty(CurrentSession.AccountId)) return true;
            WriteError(InputValidator.AccountRequired("Scope", scope, "Account-owned tokens live under /accounts/{id}/tokens"));
            return false;
        }

        private CfSession ResolveSession()
        {
            if (Session != null)
            {
                if (Session.IsDisposed)
                    ThrowTerminatingError(InputValidator.Invalid(ErrorIds.SessionDisposed, "Session", Session.ToString(),
                        "The session passed to -Session was disconnected.", "Connect again: Connect-CfAccount returns the new session ($s = Connect-CfAccount ...; then -Session $s), or omit -Session to use the current one."));
                return Session;
            }
            var current = SessionStore.Get();
            if (current != null) return current;

            var fromEnvironment = Environment.GetEnvironmentVariable(SessionConnector.TokenVariable);
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                WriteVerbose($"No session in this runspace: connecting with {SessionConnector.TokenVariable}.");
                var session = ConnectFromEnvironment(null, null);
                SessionStore.Set(session);
                return session;
            }

            var record = new ErrorRecord(new InvalidOperationException("Not connected to Cloudflare."), ErrorIds.NotConnected,
                ErrorCategory.ConnectionError, null);
            record.ErrorDetails = new ErrorDetails("Not connected to Cloudflare: there is no session in this runspace and CLOUDFLARE_API_TOKEN is not set.")
            {
                RecommendedAction = "Run Connect-CfAccount -ApiToken (Read-Host -AsSecureString), or set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID).",
            };
            ThrowTerminatingError(record);
            return null!;
        }
    }
}
