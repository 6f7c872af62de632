using System;
using System.Collections;

namespace nanoFramework.TestFramework
{
    /// <summary>Assertions on collections (arrays are collections).</summary>
    public sealed class CollectionAssert
    {
        private CollectionAssert()
        {
        }

        /// <summary>Fails unless both hold equal elements in the same order.</summary>
        public static void AreEqual(ICollection expected, ICollection actual, string message = "") => throw new NotSupportedException();

        /// <summary>Fails if both hold equal elements in the same order.</summary>
        public static void AreNotEqual(ICollection notExpected, ICollection actual, string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless empty.</summary>
        public static void Empty(ICollection collection, string message = "") => throw new NotSupportedException();

        /// <summary>Fails if empty.</summary>
        public static void NotEmpty(ICollection collection, string message = "") => throw new NotSupportedException();
    }
}
