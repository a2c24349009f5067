namespace CfManagement.Emulator.Workers;

/// <summary>A validated secret from a request body: its name and its text (type is always secret_text).</summary>
internal sealed record WorkerSecretDraft(string Name, string Text);
