using System;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Errors;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// The ErrorRecords of the secret-set commands (Worker and Pages alike): a refused input with its ErrorId, category
    /// and fix, and a failed call keeping Cloudflare's exception under the target's own reading of it.
    /// </summary>
    internal static class SecretSetErrorRecords
    {
        public static ErrorRecord FromInputProblem(SecretInputProblem problem, object? target)
        {
            var category = problem.ErrorId == ErrorIds.SecretFileSyntaxError ? ErrorCategory.ParserError
                : problem.ErrorId == ErrorIds.SecretFileNotFound ? ErrorCategory.ObjectNotFound
                : problem.ErrorId == ErrorIds.SecretValueTooLarge ? ErrorCategory.LimitsExceeded
                : ErrorCategory.InvalidArgument;
            return new ErrorRecord(new ArgumentException(problem.Message), problem.ErrorId, category, target)
            {
                ErrorDetails = new ErrorDetails(problem.Message) { RecommendedAction = problem.Fix },
            };
        }

        public static ErrorRecord FromFailure(SecretSetFailure failure, CloudflareApiException ex, object target) =>
            new ErrorRecord(ex, failure.ErrorId, failure.Category, target)
            {
                ErrorDetails = new ErrorDetails(failure.Reason) { RecommendedAction = failure.Fix },
            };
    }
}
