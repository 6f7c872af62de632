namespace System.IO
{
    /// <summary>How a file is opened (the values of .NET's FileMode).</summary>
    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }
}
