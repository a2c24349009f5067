using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Validation;

namespace CfManagement.Commands.Pages
{
    /// <summary>A command on Pages projects, which live in an account: the session must have one.</summary>
    public abstract class PagesCmdlet : CfSessionCmdlet
    {
        /// <summary>The session's account id, or null after writing AccountIdRequired.</summary>
        protected string? RequirePagesAccount(string parameterName, object? value)
        {
            var accountId = CurrentSession.AccountId;
            if (!string.IsNullOrEmpty(accountId)) return accountId;
            WriteError(InputValidator.AccountRequired(parameterName, value, "Pages projects live in an account"));
            return null;
        }
    }
}
