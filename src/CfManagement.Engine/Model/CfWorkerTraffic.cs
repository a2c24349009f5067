using System.Globalization;

namespace CfManagement.Model
{
    /// <summary>One version in a deployment and the share of requests it serves (0.01-100).</summary>
    public sealed class CfWorkerTraffic
    {
        public CfWorkerTraffic(string versionId, double percentage)
        {
            VersionId = versionId;
            Percentage = percentage;
        }

        public string VersionId { get; }
        public double Percentage { get; }

        public override string ToString() => $"{VersionId} {Percentage.ToString("0.##", CultureInfo.InvariantCulture)}%";
    }
}
