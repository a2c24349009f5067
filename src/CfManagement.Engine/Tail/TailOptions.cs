using System;

namespace CfManagement.Tail
{
    /// <summary>How a <see cref="TailStreamer"/> keeps its tails alive; the defaults are wrangler's.</summary>
    public sealed class TailOptions
    {
        public bool IncludeSensitiveHeaders { get; set; }
        public TimeSpan PingInterval { get; set; } = TailConnection.PingInterval;
        /// <summary>Waits between reconnect attempts (wrangler: 1, 2, 4, 8, 16 s); after the last, the script's tail fails.</summary>
        public TimeSpan[] ReconnectBackoff { get; set; } =
            { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16) };
        /// <summary>Renew this long before <c>expires_at</c> (capped at a third of the tail's lifetime for short-lived tails).</summary>
        public TimeSpan RenewBefore { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>How long the old and new socket both read during a renewal, so no event falls between them.</summary>
        public TimeSpan RenewalOverlap { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>The 10057 fallback halves the sampling rate down to this, then gives up.</summary>
        public double MinimumSamplingRate { get; set; } = 1.0 / 1024;
    }
}
