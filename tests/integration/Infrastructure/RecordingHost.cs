using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace CfManagement.Tests.Infrastructure;

/// <summary>
/// A PSHost whose UI records everything it is asked to write, so Out-Default renders the module's format views into
/// text a test can read. It answers no prompt: any attempt to prompt fails the test (non-interactive manners).
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUi _ui = new();
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "CfManagementTestHost";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => new(1, 0);
    public string Text => _ui.Text.ToString();
    public List<ProgressRecord> Progress => _ui.Progress;
    public void ClearText() => _ui.Text.Clear();
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class RecordingUi : PSHostUserInterface
    {
        public StringBuilder Text { get; } = new();
        public List<ProgressRecord> Progress { get; } = new();
        public override PSHostRawUserInterface RawUI { get; } = new RawUi();
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException("The module prompted: " + caption + " " + message);
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new InvalidOperationException("The module prompted for a choice: " + caption + " " + message);
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("The module prompted for a credential");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("The module prompted for a credential");
        public override string ReadLine() => throw new InvalidOperationException("The module read from the console");
        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("The module read from the console");
        public override void Write(string value) { lock (Text) Text.Append(value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
        public override void WriteLine(string value) { lock (Text) Text.AppendLine(value); }
        public override void WriteDebugLine(string message) => WriteLine("DEBUG: " + message);
        public override void WriteErrorLine(string value) => WriteLine("ERROR: " + value);
        public override void WriteProgress(long sourceId, ProgressRecord record) { lock (Progress) Progress.Add(record); }
        public override void WriteVerboseLine(string message) => WriteLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => WriteLine("WARNING: " + message);
        public override void WriteInformation(InformationRecord record) => WriteLine(record.ToString());
    }

    private sealed class RawUi : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Size BufferSize { get; set; } = new(160, 3000);
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.White;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new(160, 100);
        public override Size MaxWindowSize => new(160, 100);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get; set; } = new(160, 100);
        public override string WindowTitle { get; set; } = "";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new InvalidOperationException("The module read a key");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
