using Microsoft.Data.Sqlite;

namespace CfManagement.Tests.Infrastructure;

/// <summary>
/// Writes a state the module would leave behind if its process died midway (e.g. a Pending registry row), straight
/// into the ledger file. The module creates the schema first (any Get-CfLedger call does), so the row is in the
/// module's own format; timestamps are ISO-8601 UTC "o" text as the ledger stores them.
/// </summary>
public static class LedgerSeeder
{
    public static void ManagedToken(string path, string tokenId, string tokenName, string purpose, DateTimeOffset createdOn,
        DateTimeOffset? expiresOn, string[] destinations, string state, string scope = "User")
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO managed_tokens (token_id, token_name, scope, purpose, account_id, created_on, expires_on, destinations, state, last_rotated_on, replaced_by) " +
                              "VALUES ($id, $name, $scope, $purpose, NULL, $created, $expires, $destinations, $state, NULL, NULL)";
        command.Parameters.AddWithValue("$id", tokenId);
        command.Parameters.AddWithValue("$name", tokenName);
        command.Parameters.AddWithValue("$scope", scope);
        command.Parameters.AddWithValue("$purpose", purpose);
        command.Parameters.AddWithValue("$created", Time(createdOn));
        command.Parameters.AddWithValue("$expires", expiresOn is { } e ? Time(e) : DBNull.Value);
        command.Parameters.AddWithValue("$destinations", System.Text.Json.JsonSerializer.Serialize(destinations));
        command.Parameters.AddWithValue("$state", state);
        command.ExecuteNonQuery();
    }

    private static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture);
}
