namespace CfManagement.Issuance
{
    internal enum IssuanceOutcome
    {
        /// <summary>Nothing was issued.</summary>
        NotIssued,
        /// <summary>Issued and delivered everywhere.</summary>
        Delivered,
        /// <summary>Issued, then withdrawn (revoked) everywhere, or as far as possible.</summary>
        Withdrawn,
        /// <summary>Issued and kept: handed to the caller in an error or $CfRescuedCredentials.</summary>
        Kept,
    }
}
