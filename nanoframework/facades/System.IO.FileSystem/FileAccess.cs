namespace System.IO
{
    /// <summary>Read, write or both (the values of .NET's FileAccess).</summary>
    [Flags]
    public enum FileAccess
    {
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }
}
