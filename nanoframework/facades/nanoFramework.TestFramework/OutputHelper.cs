using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Writes to the test output.</summary>
    public static class OutputHelper
    {
        /// <summary>Writes text.</summary>
        public static void Write(string message) => throw new NotSupportedException();

        /// <summary>Writes a line.</summary>
        public static void WriteLine(string message) => throw new NotSupportedException();
    }
}
