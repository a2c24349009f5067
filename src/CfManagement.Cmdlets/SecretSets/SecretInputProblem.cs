using System;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// Why secret input was refused, without a pipeline (so the parsers and rules are testable alone); the cmdlet
    /// turns it into an ErrorRecord. Messages name the file and line or the input's origin, never a value.
    /// </summary>
    internal sealed class SecretInputProblem
    {
        public SecretInputProblem(string errorId, string message, string fix, string? file = null, int? line = null)
        {
            ErrorId = errorId;
            Message = message;
            Fix = fix;
            File = file;
            Line = line;
        }

        public string ErrorId { get; }
        public string Message { get; }
        public string Fix { get; }
        public string? File { get; }
        /// <summary>1-based line of a file problem.</summary>
        public int? Line { get; }
        public override string ToString() => $"{ErrorId}: {Message}";
    }

    /// <summary>A file that cannot be read as secrets at all (the parser stops at the first syntax error).</summary>
    internal sealed class SecretInputException : Exception
    {
        public SecretInputException(SecretInputProblem problem) : base(problem.Message) => Problem = problem;
        public SecretInputProblem Problem { get; }
    }
}
