global using FastAgents.Serialization.Tests.Messages;
global using Xunit;
