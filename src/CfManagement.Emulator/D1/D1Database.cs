using Microsoft.Data.Sqlite;

namespace CfManagement.Emulator.D1;

/// <summary>
/// One D1 database: a named in-memory SQLite database (shared cache) whose connection stays open
/// for the database's lifetime, so its data lives until it is deleted or the emulator resets.
/// </summary>
internal sealed class D1Database : IDisposable
{
    public string Uuid { get; }
    public string Name { get; }
    public DateTimeOffset CreatedAt { get; }
    public object Gate { get; } = new();
    public SqliteConnection Connection { get; }

    public D1Database(string uuid, string name, DateTimeOffset createdAt)
    {
        Uuid = uuid;
        Name = name;
        CreatedAt = createdAt;
        Connection = new SqliteConnection($"Data Source=cfemu-d1-{uuid};Mode=Memory;Cache=Shared");
        Connection.Open();
    }

    public long Scalar(string sql)
    {
        lock (Gate)
        {
            using var command = Connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L);
        }
    }

    public int TableCount => (int)Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    public long FileSize => Scalar("PRAGMA page_count") * Scalar("PRAGMA page_size");

    public void Dispose() => Connection.Dispose();
}
