using System;
using System.Management.Automation;

namespace CfManagement.Errors
{
    /// <summary>Carries a ready ErrorRecord out of shared code to the cmdlet that reports it.</summary>
    public sealed class CfRecordException : Exception, IContainsErrorRecord
    {
        public CfRecordException(ErrorRecord record) : base(record.ErrorDetails?.Message ?? record.Exception.Message, record.Exception)
        {
            ErrorRecord = record;
        }

        public ErrorRecord ErrorRecord { get; }
    }
}
