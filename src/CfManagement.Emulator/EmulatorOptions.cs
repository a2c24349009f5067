namespace CfManagement.Emulator;

/// <summary>Settings of one emulator instance.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The emulated account's id (32 lowercase hex).</summary>
    public string AccountId { get; set; } = "9a7806061c88ada191ed06f989cc3dac";
    public string AccountName { get; set; } = "Demo Account";
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; set; } = 0;
    /// <summary>Requests allowed per token value per <see cref="RateLimitWindow"/>; going over blocks the token for one window.</summary>
    public int RateLimitRequests { get; set; } = 1200;
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Most user-owned tokens one user may have (API creates only; seeding bypasses it).</summary>
    public int UserTokenQuota { get; set; } = 50;
    /// <summary>Most account-owned tokens the account may have (API creates only).</summary>
    public int AccountTokenQuota { get; set; } = 500;
    /// <summary>Clock for token times and rate-limit windows (injected latency uses real time).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    /// <summary>Most secrets one secrets-bulk PATCH may carry (more: 400 100160); POST /__emulator/workers/secrets-bulk-limit changes it.</summary>
    public int WorkerSecretsBulkLimit { get; set; } = 100;
    /// <summary>Life of a live tail (expires_at = creation + this); POST /__emulator/tails/settings {"ttlSeconds"} changes it.</summary>
    public TimeSpan TailTtl { get; set; } = TimeSpan.FromHours(6);
    /// <summary>Events/s above which creating a tail answers 10057 (unless sampling_rate brings it below); POST /__emulator/tails/settings {"trafficThreshold"}.</summary>
    public double TailTrafficThreshold { get; set; } = 100_000;
}
