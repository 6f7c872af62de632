namespace WalkieTalkie.Badge.Messaging
{
    /// <summary>Which of the badge's downlink topics a message came on.</summary>
    public enum InboxKind : byte
    {
        None = 0,
        Audio = 1,
        Control = 2,
    }
}
