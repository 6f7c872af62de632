using System;

namespace TestFrameworkShared
{
    /// <summary>Thrown by a failed assertion.</summary>
    public class AssertFailedException : Exception
    {
        /// <summary>A failure with its message.</summary>
        public AssertFailedException(string message) => throw new NotSupportedException();
    }
}
