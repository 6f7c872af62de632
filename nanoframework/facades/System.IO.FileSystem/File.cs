namespace System.IO
{
    /// <summary>File management.</summary>
    public static class File
    {
        /// <summary>True when the file exists.</summary>
        public static bool Exists(string path) => throw new NotSupportedException();

        /// <summary>Deletes the file (no error when it does not exist).</summary>
        public static void Delete(string path) => throw new NotSupportedException();
    }
}
