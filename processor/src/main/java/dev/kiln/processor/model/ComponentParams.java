package dev.kiln.processor.model;

import com.palantir.javapoet.TypeName;
import dev.kiln.processor.layers.ParamSlot;
import java.util.List;

/**
 * The parameters a component holds: the record type and its slots (for a layer), or the
 * sub-model's network (for a sub-model).
 */
public record ComponentParams(ComponentSpec component, TypeName type, List<ParamSlot> slots, Network subModel) {
  public ComponentParams {
    slots = List.copyOf(slots);
  }

  public String name() {
    return component.name();
  }

  public boolean hasParameters() {
    return subModel != null ? subModel.parameterCount() > 0 : slots.stream().anyMatch(ParamSlot::present);
  }
}
