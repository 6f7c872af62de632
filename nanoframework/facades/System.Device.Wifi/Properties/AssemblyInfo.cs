using System.Reflection;

// The version of the real System.Device.Wifi in NuGet package nanoFramework.System.Device.Wifi 1.5.149. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.5.149.0")]
[assembly: AssemblyTitle("System.Device.Wifi (compile-only facade, never deployed)")]
