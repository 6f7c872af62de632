using System.Collections;
using System.Runtime.CompilerServices;

// A .NET stand-in for the parts of nanoFramework.TestFramework the on-device tests use, so that the same test
// sources run here (the real framework only runs on nanoCLR). Same names and overloads as the facade in
// nanoframework/facades/nanoFramework.TestFramework, so overload resolution matches the device build.
namespace nanoFramework.TestFramework
{
    [AttributeUsage(AttributeTargets.Class)]
    public class TestClassAttribute : Attribute;

    [AttributeUsage(AttributeTargets.Method)]
    public class TestMethodAttribute : Attribute;

    [AttributeUsage(AttributeTargets.Method)]
    public class SetupAttribute : Attribute;

    [AttributeUsage(AttributeTargets.Method)]
    public class CleanupAttribute : Attribute;

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute(params object[] methodParameters) : Attribute
    {
        public object[] MethodParameters { get; } = methodParameters;
    }

    public sealed class Assert
    {
        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(char expected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(int expected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(long expected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(sbyte expected, sbyte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(short expected, short actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(string expected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(ulong expected, ulong actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);
        public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "") => Equal(expected, actual, message);

        public static void AreNotEqual(bool notExpected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "") => NotEqual(notExpected, actual, message);
        public static void AreNotEqual(byte notExpected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => NotEqual(notExpected, actual, message);
        public static void AreNotEqual(int notExpected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "") => NotEqual(notExpected, actual, message);
        public static void AreNotEqual(long notExpected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "") => NotEqual(notExpected, actual, message);
        public static void AreNotEqual(object notExpected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") => NotEqual(notExpected, actual, message);
        public static void AreNotEqual(string notExpected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "") => NotEqual(notExpected, actual, message);

        public static void IsTrue(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "")
        {
            if (!condition)
            {
                throw new TestFrameworkShared.AssertFailedException("IsTrue failed: " + message);
            }
        }

        public static void IsFalse(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "") => IsTrue(!condition, message);

        private static void Equal(object expected, object actual, string message)
        {
            if (!Equals(expected, actual))
            {
                throw new TestFrameworkShared.AssertFailedException($"AreEqual failed: expected {expected}, got {actual}: {message}");
            }
        }

        private static void NotEqual(object notExpected, object actual, string message)
        {
            if (Equals(notExpected, actual))
            {
                throw new TestFrameworkShared.AssertFailedException($"AreNotEqual failed: both {actual}: {message}");
            }
        }
    }

    public sealed class CollectionAssert
    {
        public static void AreEqual(ICollection expected, ICollection actual, string message = "")
        {
            var left = expected.Cast<object>().ToArray();
            var right = actual.Cast<object>().ToArray();
            if (!left.SequenceEqual(right))
            {
                throw new TestFrameworkShared.AssertFailedException("CollectionAssert.AreEqual failed " + message);
            }
        }
    }
}

namespace TestFrameworkShared
{
    public class AssertFailedException(string message) : Exception(message);
}
