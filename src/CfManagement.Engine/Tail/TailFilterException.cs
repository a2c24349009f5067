using System;

namespace CfManagement.Tail
{
    /// <summary>A tail filter value that cannot be sent; <see cref="ParameterName"/> is the cmdlet parameter to fix.</summary>
    public sealed class TailFilterException : ArgumentException
    {
        public TailFilterException(string parameterName, string message) : base(message) => ParameterName = parameterName;

        public string ParameterName { get; }
    }
}
