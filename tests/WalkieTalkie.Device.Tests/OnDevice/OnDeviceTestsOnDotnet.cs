using System.Reflection;
using nanoFramework.TestFramework;
using Xunit;
using Assert = Xunit.Assert;

namespace WalkieTalkie.Device.Tests.OnDevice;

/// <summary>
/// Runs the on-device test classes (tests/WalkieTalkie.Device.OnDeviceTests) here, the way nanoFramework's
/// UnitTestLauncher does on the device: per class, the [Setup] methods, then every [TestMethod] in declaration order
/// (each [DataRow] as its own call), then [Cleanup]. It cannot show they pass on nanoCLR (whose enums, formatting
/// and threads differ), but a test that is wrong fails here first.
/// </summary>
public class OnDeviceTestsOnDotnet
{
    public static TheoryData<string> TestClasses() => new(OnDeviceTypes().Select(t => t.Name));

    [Fact]
    public void There_are_on_device_test_classes()
    {
        Assert.True(OnDeviceTypes().Count() >= 4);
    }

    [Theory]
    [MemberData(nameof(TestClasses))]
    public void The_test_class_passes(string className)
    {
        var type = OnDeviceTypes().Single(t => t.Name == className);
        // The launcher invokes with a null instance; .NET cannot call instance methods that way, so one instance
        // stands in. The classes keep their state in static fields either way.
        var instance = Activator.CreateInstance(type);
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).OrderBy(m => m.MetadataToken).ToArray();
        var ran = 0;
        foreach (var setup in methods.Where(m => m.IsDefined(typeof(SetupAttribute))))
        {
            Invoke(setup, instance, []);
        }

        foreach (var test in methods.Where(m => m.IsDefined(typeof(TestMethodAttribute))))
        {
            var rows = test.GetCustomAttributes<DataRowAttribute>().ToArray();
            if (rows.Length == 0)
            {
                Invoke(test, instance, []);
                ran++;
            }

            foreach (var row in rows)
            {
                Invoke(test, instance, row.MethodParameters);
                ran++;
            }
        }

        foreach (var cleanup in methods.Where(m => m.IsDefined(typeof(CleanupAttribute))))
        {
            Invoke(cleanup, instance, []);
        }

        Assert.True(ran > 0, $"{className} has no test methods");
    }

    private static IEnumerable<Type> OnDeviceTypes() => typeof(OnDeviceTestsOnDotnet).Assembly.GetTypes()
        .Where(t => t.Namespace == "WalkieTalkie.Device.OnDeviceTests" && t.IsDefined(typeof(TestClassAttribute)))
        .OrderBy(t => t.Name);

    private static void Invoke(MethodInfo method, object instance, object[] arguments)
    {
        try
        {
            method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new Xunit.Sdk.XunitException($"{method.DeclaringType!.Name}.{method.Name}: {e.InnerException.Message}");
        }
    }
}
