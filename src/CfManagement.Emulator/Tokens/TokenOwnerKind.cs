namespace CfManagement.Emulator;

/// <summary>Who owns a token: a user (/user/tokens) or the account (/accounts/{id}/tokens).</summary>
public enum TokenOwnerKind { User, Account }
