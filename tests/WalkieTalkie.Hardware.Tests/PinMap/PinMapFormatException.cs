namespace WalkieTalkie.Hardware.Tests.PinMap;

/// <summary>The pin map table or the settings file is not in the expected shape.</summary>
public sealed class PinMapFormatException(string message) : Exception(message);
