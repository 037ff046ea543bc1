package dev.lapse.interop;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What the interop suite drives over HTTP. */
@RestController
public class SessionApi {
  private final List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
  private final FindByIndexNameSessionRepository<? extends Session> sessions;

  public SessionApi(FindByIndexNameSessionRepository<? extends Session> sessions) {
    this.sessions = sessions;
  }

  /** Spring's findByPrincipalName: the ids of a user's sessions. */
  @GetMapping("/principal-sessions")
  public List<String> principalSessions(@RequestParam String name) {
    return new ArrayList<>(sessions.findByPrincipalName(name).keySet());
  }

  /** Spring's own session events (created, deleted, expired), as its listener received them. */
  @EventListener
  public void onSessionEvent(AbstractSessionEvent event) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("type", event.getClass().getSimpleName());
    entry.put("sessionId", event.getSessionId());
    Session session = event.getSession();
    entry.put("attributeNames", session == null ? null : new ArrayList<>(session.getAttributeNames()));
    events.add(entry);
  }

  @GetMapping("/events")
  public List<Map<String, Object>> events() {
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }

  @GetMapping("/ready")
  public String ready() {
    return "ready";
  }

  @GetMapping("/me")
  public Map<String, Object> me(Principal principal) {
    return Map.of("name", principal.getName());
  }

  /** The request's session as Spring sees it: 404 without one. */
  @GetMapping("/session")
  public ResponseEntity<Map<String, Object>> session(HttpServletRequest request, Principal principal) {
    HttpSession session = request.getSession(false);
    if (session == null) return ResponseEntity.status(404).body(Map.of("session", "none"));
    return ResponseEntity.ok(describe(session, principal));
  }

  /** Sets attributes of the types given: [{name, type: string|int|long|double|boolean|list|map|null, value}]. */
  @PostMapping("/attributes")
  public Map<String, Object> setAttributes(HttpServletRequest request, Principal principal, @RequestBody List<Map<String, Object>> attributes) {
    HttpSession session = request.getSession(true);
    for (Map<String, Object> attribute : attributes) {
      String name = (String) attribute.get("name");
      Object value = attribute.get("value");
      session.setAttribute(name, switch ((String) attribute.get("type")) {
        case "string" -> (String) value;
        case "int" -> ((Number) value).intValue();
        case "long" -> ((Number) value).longValue();
        case "double" -> ((Number) value).doubleValue();
        case "boolean" -> (Boolean) value;
        case "list" -> new ArrayList<>((List<?>) value);
        case "map" -> new LinkedHashMap<>((Map<?, ?>) value);
        case "null" -> null;
        default -> throw new IllegalArgumentException("unknown type " + attribute.get("type"));
      });
    }
    return describe(session, principal);
  }

  @PostMapping("/max-inactive-interval")
  public Map<String, Object> maxInactiveInterval(HttpServletRequest request, Principal principal, @RequestParam int seconds) {
    HttpSession session = request.getSession(true);
    session.setMaxInactiveInterval(seconds);
    return describe(session, principal);
  }

  private static Map<String, Object> describe(HttpSession session, Principal principal) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (String name : Collections.list(session.getAttributeNames())) {
      Object value = session.getAttribute(name);
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("type", value == null ? null : value.getClass().getName());
      described.put("value", value instanceof SecurityContext context
          ? (context.getAuthentication() == null ? null : context.getAuthentication().getName())
          : value);
      attributes.put(name, described);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("id", session.getId());
    result.put("creationTime", session.getCreationTime());
    result.put("lastAccessedTime", session.getLastAccessedTime());
    result.put("maxInactiveInterval", session.getMaxInactiveInterval());
    result.put("principal", principal == null ? null : principal.getName());
    result.put("attributes", attributes);
    return result;
  }
}
