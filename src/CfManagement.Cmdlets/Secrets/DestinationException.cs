using System;

namespace CfManagement.Secrets
{
    /// <summary>A destination refused a write or delete. The message names the destination, never the value.</summary>
    internal sealed class DestinationException : Exception
    {
        public DestinationException(string message, Exception? inner) : base(message, inner) { }
    }
}
