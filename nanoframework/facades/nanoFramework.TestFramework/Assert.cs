using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework
{
    /// <summary>Test assertions (the current MSTest-like names; the old xUnit-like ones are obsolete).</summary>
    public sealed class Assert
    {
        private Assert()
        {
        }

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(char expected, char actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(DateTime expected, DateTime actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal (no tolerance overload exists).</summary>
        public static void AreEqual(double expected, double actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal (no tolerance overload exists).</summary>
        public static void AreEqual(float expected, float actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(int expected, int actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(long expected, long actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal by Equals.</summary>
        public static void AreEqual(object expected, object actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(sbyte expected, sbyte actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(short expected, short actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal (ordinal).</summary>
        public static void AreEqual(string expected, string actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(ulong expected, ulong actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless equal.</summary>
        public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if equal.</summary>
        public static void AreNotEqual(bool notExpected, bool actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if equal.</summary>
        public static void AreNotEqual(byte notExpected, byte actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if equal.</summary>
        public static void AreNotEqual(int notExpected, int actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if equal.</summary>
        public static void AreNotEqual(long notExpected, long actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if equal by Equals.</summary>
        public static void AreNotEqual(object notExpected, object actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if equal (ordinal).</summary>
        public static void AreNotEqual(string notExpected, string actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless the condition holds.</summary>
        public static void IsTrue(bool condition, [CallerArgumentExpression("condition")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if the condition holds.</summary>
        public static void IsFalse(bool condition, [CallerArgumentExpression("condition")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless null.</summary>
        public static void IsNull(object value, [CallerArgumentExpression("value")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if null.</summary>
        public static void IsNotNull([NotNull] object value, [CallerArgumentExpression("value")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless both refer to the same object.</summary>
        public static void AreSame(object expected, object actual, [CallerArgumentExpression("actual")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if both refer to the same object.</summary>
        public static void AreNotSame(object notExpected, object actual, string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless the value's type is exactly the expected one.</summary>
        public static void IsInstanceOfType(object value, Type expected, [CallerArgumentExpression("value")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails if the value's type is the given one.</summary>
        public static void IsNotInstanceOfType(object value, Type notExpected, [CallerArgumentExpression("value")] string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless the other string contains the expected one.</summary>
        public static void Contains(string expected, string other, string message = "") => throw new NotSupportedException();

        /// <summary>Fails if the other string contains the expected one.</summary>
        public static void DoesNotContains(string expected, string other, string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless the other string starts with the expected one.</summary>
        public static void StartsWith(string expected, string other, string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless the other string ends with the expected one.</summary>
        public static void EndsWith(string expected, string other, string message = "") => throw new NotSupportedException();

        /// <summary>Fails unless the action throws exactly this exception type.</summary>
        public static void ThrowsException(Type exceptionType, Action action, string message = "") => throw new NotSupportedException();

        /// <summary>Skips the test (from a Setup method: the whole class).</summary>
        [DoesNotReturn]
        public static void SkipTest(string message = null) => throw new NotSupportedException();
    }
}
