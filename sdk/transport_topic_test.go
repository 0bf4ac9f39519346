package sdk

import (
	"strings"
	"testing"
)

func TestServiceTopic(t *testing.T) {
	id := strings.Repeat("0a", 32)
	if got, ok := ParseServiceTopic(ServiceTopic(id)); !ok || got != id {
		t.Errorf("ParseServiceTopic(ServiceTopic(id)) = %q, %v", got, ok)
	}
	for _, topic := range []string{
		"", "wavs/" + id, "wavs/" + id + "/topic/v2", "wavs/" + strings.ToUpper(id) + "/topic/v1",
		"wavs/" + id[:62] + "/topic/v1", "wavs/p2ptest/topic/v1", "x/" + id + "/topic/v1",
	} {
		if _, ok := ParseServiceTopic(topic); ok {
			t.Errorf("ParseServiceTopic(%q) = ok", topic)
		}
	}
}
